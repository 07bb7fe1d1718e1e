package io.weir.benchmarks.nexmark;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The Flink side in a JVM of its own ({@link FlinkProcessSide} starts it): arguments
 * {@code SLOTS OBJECT_REUSE}; then one command per line on standard input,
 * {@code run QUERY EVENTS SEED PARALLELISM full|light}, answered by one line on standard output,
 * {@code nexmark-done NANOS COUNT CHECKSUM LIGHT} or {@code nexmark-failed MESSAGE}; {@code exit}
 * or the end of input stops it. Other lines on standard output (logging) are not answers.
 */
public final class FlinkWorker {
  static final String DONE = "nexmark-done";
  static final String FAILED = "nexmark-failed";

  private FlinkWorker() {}

  /** Runs the worker until {@code exit} or the end of standard input. */
  public static void main(String[] args) {
    PrintStream out = System.out;
    try {
      serve(args, out);
    } catch (Throwable e) {
      // Flink's threads would keep this JVM alive after main ends: say why, and exit.
      out.println(FAILED + " " + String.valueOf(e).replace('\n', ' '));
      out.flush();
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  private static void serve(String[] args, PrintStream out) throws Exception {
    try (FlinkSide flink = FlinkSide.start(Integer.parseInt(args[0]),
        Boolean.parseBoolean(args[1]));
         BufferedReader in = new BufferedReader(
             new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      out.println(DONE + " 0 0 0 0");
      out.flush();
      for (String line = in.readLine(); line != null && !line.equals("exit");
          line = in.readLine()) {
        String[] c = line.trim().split(" ");
        try {
          System.gc(); // as the benchmark does before each timed run, here in Flink's JVM
          NexmarkSide.Run run = flink.run(Query.parse(c[1]), Long.parseLong(c[2]),
              Long.parseLong(c[3]), Integer.parseInt(c[4]), c[5].equals("full"));
          Digest d = run.digest();
          out.printf(Locale.ROOT, "%s %d %d %d %d%n", DONE, run.nanos(), d.count(), d.checksum(),
              d.light());
        } catch (Exception e) {
          out.println(FAILED + " " + String.valueOf(e).replace('\n', ' '));
        }
        out.flush();
      }
    }
  }
}
