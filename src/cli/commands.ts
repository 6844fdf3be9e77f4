// Every subcommand of `tierflow`, in the order `--help` lists them.
import type { Command } from 'commander';
import { registerBudgetsCommand } from './commands/budgets.ts';
import { registerDoctorCommand } from './commands/doctor.ts';
import { registerEvalCommand } from './commands/eval.ts';
import { registerFeedbackCommand } from './commands/feedback.ts';
import { registerGraphCommand } from './commands/graph.ts';
import { registerReportCommand } from './commands/report.ts';
import { registerResumeCommand } from './commands/resume.ts';
import { registerRouteCommand } from './commands/route.ts';
import { registerRunCommand } from './commands/run.ts';
import { registerRunsCommand } from './commands/runs.ts';
import { registerShowCommand } from './commands/show.ts';
import { registerValidateCommand } from './commands/validate.ts';

export function registerCommands(program: Command): void {
  registerRunCommand(program);
  registerResumeCommand(program);
  registerRunsCommand(program);
  registerShowCommand(program);
  registerValidateCommand(program);
  registerGraphCommand(program);
  registerRouteCommand(program);
  registerReportCommand(program);
  registerBudgetsCommand(program);
  registerDoctorCommand(program);
  registerFeedbackCommand(program);
  registerEvalCommand(program);
}
