import ArgumentParser
import Reports
import Scenarios

// MARK: - Bad input, the same way in every command

/// Prints `error` as a command reports bad input — a scenario's problems as they are, anything
/// else after `simrun COMMAND:` — and returns exit code 2; `nil` when `error` is not bad input
/// (the caller rethrows it).
func inputErrorExit(_ error: any Error, command: String) -> ExitCode? {
    switch error {
    case let errors as ScenarioErrors:
        printError(errors.description)
    case let usage as ScenarioRun.UsageError:
        printError("simrun \(command): \(usage.description)")
    case let output as OutputFolderError:
        printError("simrun \(command): \(output.description)")
    case let parameter as ParameterError:
        printError("simrun \(command): \(parameter.description)")
    case let plan as PlanRun.UsageError:
        printError("simrun \(command): \(plan.description)")
    case let sweep as SweepResult.InputError:
        printError("simrun \(command): \(sweep.description)")
    default:
        return nil
    }
    return ExitCode(2)
}
