package io.weir.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code weir} command line run in-process: help, exit codes and one-line errors. */
class WeirCliTest {
  @TempDir Path temp;

  /** What one run of the command line printed and returned. */
  private record Run(int exitCode, String out, String err) {
    List<String> errLines() {
      return err.lines().toList();
    }
  }

  private static Run run(String... args) {
    CommandLine cli = WeirCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exitCode = cli.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  @Test
  void helpListsEveryCommandWithItsDescription() {
    Run run = run("--help");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().startsWith("Usage: weir"), run.out());
    Map<String, CommandLine> commands = WeirCli.commandLine().getSubcommands();
    assertTrue(commands.containsKey("node"), "commands: " + commands.keySet());
    for (Map.Entry<String, CommandLine> command : commands.entrySet()) {
      // The command list shows a command's header if it has one, else its description.
      CommandLine.Model.UsageMessageSpec usage = command.getValue().getCommandSpec().usageMessage();
      String[] description = usage.header().length > 0 ? usage.header() : usage.description();
      assertTrue(description.length > 0 && !description[0].isBlank(),
          command.getKey() + " has no description");
      String start = description[0].substring(0, Math.min(20, description[0].length()));
      assertTrue(run.out().lines().anyMatch(
              line -> line.trim().startsWith(command.getKey() + " ") && line.contains(start)),
          "--help does not list '" + command.getKey() + "' with its description:\n" + run.out());
    }
  }

  @TestFactory
  Stream<DynamicTest> everyCommandHasHelpThatExitsZero() {
    return WeirCli.commandLine().getSubcommands().keySet().stream()
        .map(name -> DynamicTest.dynamicTest(name + " --help", () -> {
          Run run = run(name, "--help");
          assertEquals(0, run.exitCode(), run.err());
          assertTrue(run.out().contains("Usage: weir " + name), run.out());
          assertEquals("", run.err());
        }));
  }

  @Test
  void anUnknownCommandIsAUsageErrorOnOneLine() {
    Run run = run("nosuchcommand");
    assertEquals(2, run.exitCode());
    assertOneLineError(run, "nosuchcommand");
    assertEquals("", run.out());
  }

  @Test
  void noCommandIsAUsageError() {
    Run run = run();
    assertEquals(2, run.exitCode());
    assertOneLineError(run, "a command is required");
  }

  @Test
  void anUnknownFlagIsAUsageError() {
    Run top = run("--nosuchflag");
    assertEquals(2, top.exitCode());
    assertOneLineError(top, "--nosuchflag");
    Run node = run("node", "--nosuchflag");
    assertEquals(2, node.exitCode());
    assertOneLineError(node, "--nosuchflag");
  }

  @Test
  void anUnknownProfileIsAUsageErrorNamingTheKnownOnes() {
    Run run = run("node", "--profile", "nosuchprofile");
    assertEquals(2, run.exitCode());
    assertOneLineError(run,
        "--profile': unknown profile 'nosuchprofile'; known profiles: embedded, cluster");
  }

  @Test
  void nodeOnADataDirectoryThatIsARegularFileFailsOnOneLine() throws Exception {
    Path file = Files.writeString(temp.resolve("not-a-dir"), "x");
    Run run = run("node", "--data-dir", file.toString());
    assertEquals(1, run.exitCode());
    assertEquals(List.of("weir: data directory " + file + " is not a directory"), run.errLines());
  }

  @Test
  void nodeWithAMissingConfigFileFailsOnOneLine() {
    Path missing = temp.resolve("missing.conf");
    Run run = run("node", "--data-dir", temp.resolve("data").toString(),
        "--config", missing.toString());
    assertEquals(1, run.exitCode());
    assertEquals(List.of("weir: configuration file " + missing
        + " does not exist or is not readable"), run.errLines());
  }

  /**
   * The error is one {@code weir: } line naming {@code expected}; what may follow are picocli's
   * suggestions and the hint to try {@code --help}, never a stack trace.
   */
  private static void assertOneLineError(Run run, String expected) {
    List<String> lines = run.errLines();
    assertFalse(lines.isEmpty(), "nothing on stderr");
    assertTrue(lines.get(0).startsWith("weir: ") && lines.get(0).contains(expected), run.err());
    assertEquals(1, lines.stream().filter(l -> l.startsWith("weir: ")).count(), run.err());
    assertTrue(lines.get(lines.size() - 1).startsWith("Try 'weir"), run.err());
    assertFalse(run.err().contains("\tat ") || run.err().contains("Exception"), run.err());
  }
}
