package io.weir.benchmarks.cdc;

import io.weir.benchmarks.Machine;
import io.weir.benchmarks.Report;
import io.weir.benchmarks.Report.Better;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The CDC benchmark: Weir's PostgreSQL connector beside Debezium 3.6.3's, each in a JVM of its
 * own with the same flags, on one PostgreSQL 18 and one workload.
 *
 * <p>Each round: the table is reset to {@code rows} rows and each side (alternating which goes
 * first) reads an initial snapshot of it with a slot of its own; then a slot per side is created,
 * the workload of {@code changes} changes committed, and each side streams it from its slot.
 * Snapshot rows/s run from the side's start (slot creation included) to its last row; streaming
 * events/s from its first change received to its last. Every run must count exactly the events
 * expected, and both sides' checksums must agree, or the benchmark fails. Round 0 is a warm-up.
 */
public final class CdcBench {
  private static final String WEIR_PUB = "weir_bench";
  private static final String PEER_PUB = "dbz_bench";

  /**
   * What to run.
   *
   * @param rows rows in the snapshotted table
   * @param changes row changes in the streamed workload
   * @param rounds measured rounds (a warm-up round comes first)
   * @param seed the workload's seed
   */
  public record Settings(int rows, int changes, int rounds, long seed) {
    /** Checks the sizes. */
    public Settings {
      if (rows < 1000 || changes < 100 || rounds < 1) {
        throw new IllegalArgumentException("rows must be at least 1000, changes at least 100 "
            + "and rounds at least 1");
      }
    }
  }

  /**
   * One side's run, as checked.
   *
   * @param side {@code weir} or {@code debezium}
   * @param phase {@code snapshot} or {@code stream}
   * @param round the round, 0 for the warm-up
   * @param expected the events it had to see
   * @param count the events it saw
   * @param checksum their checksum
   * @param perSecond events per second
   */
  public record Run(String side, String phase, int round, long expected, long count,
      long checksum, double perSecond) {}

  /**
   * What the benchmark measured.
   *
   * @param report the figures, with the warm-up left out
   * @param runs every run, the warm-up's included
   */
  public record Outcome(Report report, List<Run> runs) {}

  private CdcBench() {}

  /**
   * Runs the benchmark, printing progress, the {@code RESULT} lines and a table to {@code out}.
   *
   * @throws IllegalStateException when a side counts other than the events expected, or the
   *     sides' checksums differ
   */
  public static Outcome run(Settings settings, PrintStream out) throws Exception {
    Machine.current().describe().forEach(out::println);
    out.println("worker JVM flags (both sides): " + String.join(" ", CdcSideProcess.flags()));
    Report report = new Report("cdc");
    List<Run> runs = new ArrayList<>();
    try (CdcDatabase db = CdcDatabase.start()) {
      out.printf(Locale.ROOT, "PostgreSQL %s (embedded, wal_level=logical, fsync=off); table %s,"
          + " %,d rows; %,d changes per round (seed %d)%n", db.version(), CdcDatabase.TABLE,
          settings.rows(), settings.changes(), settings.seed());
      out.println("weir: PostgresCdcSource's reader driven as a source subtask drives it, a "
          + "counting output; debezium: 3.6.3.Final embedded engine, pgoutput, offsets in "
          + "memory, poll.interval.ms=10, a counting Consumer of Connect change events");
      db.createPublication(WEIR_PUB);
      db.createPublication(PEER_PUB);
      try (CdcSideProcess weir = CdcSideProcess.weir(db);
           CdcSideProcess peer = CdcSideProcess.debezium(db)) {
        for (int round = 0; round <= settings.rounds(); round++) {
          List<CdcSideProcess> order = round % 2 == 0 ? List.of(weir, peer) : List.of(peer, weir);
          db.resetTable(settings.rows());
          Run[] snap = new Run[2];
          for (CdcSideProcess side : order) {
            String slot = side.name() + "_snap";
            CdcSideProcess.Run r = side.run("snapshot", slot, publication(side),
                settings.rows());
            db.dropSlot(slot);
            snap[side == weir ? 0 : 1] = check(runs, side, "snapshot", round, settings.rows(), r);
          }
          agree(snap);
          for (CdcSideProcess side : order) {
            db.createSlot(side.name() + "_stream");
          }
          long expected = db.runWorkload(settings.rows(), settings.changes(),
              settings.seed() + round);
          Run[] stream = new Run[2];
          for (CdcSideProcess side : order) {
            String slot = side.name() + "_stream";
            CdcSideProcess.Run r = side.run("stream", slot, publication(side), expected);
            db.dropSlot(slot);
            stream[side == weir ? 0 : 1] = check(runs, side, "stream", round, expected, r);
          }
          agree(stream);
          out.printf(Locale.ROOT, "round %d%s: snapshot weir %,.0f rows/s, debezium %,.0f rows/s;"
              + " streaming (%,d changes) weir %,.0f events/s, debezium %,.0f events/s%n", round,
              round == 0 ? " (warm-up)" : "", snap[0].perSecond(), snap[1].perSecond(), expected,
              stream[0].perSecond(), stream[1].perSecond());
          if (round > 0) {
            report.add("snapshot-rows-per-s", "rows/s", Better.HIGHER, 0, snap[0].perSecond(),
                snap[1].perSecond());
            report.add("streaming-events-per-s", "events/s", Better.HIGHER, 0,
                stream[0].perSecond(), stream[1].perSecond());
          }
        }
      }
    }
    report.printResults(out);
    report.printTable(out);
    return new Outcome(report, runs);
  }

  private static String publication(CdcSideProcess side) {
    return side.name().equals("weir") ? WEIR_PUB : PEER_PUB;
  }

  private static Run check(List<Run> runs, CdcSideProcess side, String phase, int round,
      long expected, CdcSideProcess.Run r) {
    Run run = new Run(side.name(), phase, round, expected, r.count(), r.checksum(),
        r.perSecond());
    runs.add(run);
    if (r.count() != expected) {
      throw new IllegalStateException(side.name() + " saw " + r.count() + " " + phase
          + " events in round " + round + ", expected " + expected);
    }
    return run;
  }

  private static void agree(Run[] pair) {
    if (pair[0].checksum() != pair[1].checksum()) {
      throw new IllegalStateException("the sides disagree on the " + pair[0].phase()
          + " of round " + pair[0].round() + ": checksum " + pair[0].checksum() + " (weir) vs "
          + pair[1].checksum() + " (debezium)");
    }
  }
}
