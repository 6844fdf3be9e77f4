// Every subcommand of `tierflow`, in the order `--help` lists them.
import type { Command } from 'commander';
import { registerBudgetsCommand } from './commands/budgets.ts';
import { registerDoctorCommand } from './commands/doctor.ts';
import { registerGraphCommand } from './commands/graph.ts';
import { registerReportCommand } from './commands/report.ts';
import { registerRouteCommand } from './commands/route.ts';
import { registerRunCommand } from './commands/run.ts';
import { registerValidateCommand } from './commands/validate.ts';

export function registerCommands(program: Command): void {
  registerRunCommand(program);
  registerValidateCommand(program);
  registerGraphCommand(program);
  registerRouteCommand(program);
  registerReportCommand(program);
  registerBudgetsCommand(program);
  registerDoctorCommand(program);
}
