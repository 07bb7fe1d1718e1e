package io.weir.node.cli;

import io.weir.api.WeirException;
import io.weir.node.api.CommandLineExtension;
import java.io.PrintWriter;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/**
 * The {@code weir} command line. Exit codes: 0 success, 1 failure (one line on stderr saying
 * why), 2 bad usage.
 */
@Command(name = "weir", mixinStandardHelpOptions = true, version = "Weir 0.1.0-SNAPSHOT",
    description = "A partitioned log, stream processing, change data capture and lakehouse "
        + "tables on Apache Pekko.",
    subcommands = {NodeCommand.class, TopicCommand.class, ProduceCommand.class,
        ConsumeCommand.class, GroupsCommand.class, JobCommand.class, CdcCommand.class,
        TableCommand.class, PipelineCommand.class,
        CommandLine.HelpCommand.class})
public final class WeirCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a command is required");
  }

  /**
   * Builds the command line with the built-in commands and every {@link CommandLineExtension}
   * on the class path.
   *
   * @return a configured picocli command line, never null
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new WeirCli());
    for (CommandLineExtension extension : ServiceLoader.load(CommandLineExtension.class)) {
      cli.addSubcommand(extension);
    }
    cli.setParameterExceptionHandler(oneLineUsageError());
    cli.setExecutionExceptionHandler(oneLineFailure());
    return cli;
  }

  /**
   * Runs the command line and exits the JVM with its exit code.
   *
   * @param args the command line arguments
   */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  private static IParameterExceptionHandler oneLineUsageError() {
    return (ParameterException e, String[] args) -> {
      CommandLine cmd = e.getCommandLine();
      PrintWriter err = cmd.getErr();
      err.println("weir: " + e.getMessage());
      CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
      err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
      err.flush();
      return cmd.getCommandSpec().exitCodeOnInvalidInput();
    };
  }

  private static IExecutionExceptionHandler oneLineFailure() {
    return (Exception e, CommandLine cmd, CommandLine.ParseResult parsed) -> {
      PrintWriter err = cmd.getErr();
      err.println("weir: " + describe(e));
      if (!(e instanceof WeirException) && System.getenv("WEIR_DEBUG") != null) {
        e.printStackTrace(err);
      }
      err.flush();
      return cmd.getCommandSpec().exitCodeOnExecutionException();
    };
  }

  /** A one-line description of a failure for the person at the terminal. */
  static String describe(Throwable e) {
    Throwable t = e;
    while (!(t instanceof WeirException) && t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    if (t instanceof WeirException) {
      return t.getMessage();
    }
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message)
        + " (set WEIR_DEBUG=1 for the stack trace)";
  }
}
