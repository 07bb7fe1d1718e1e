package io.weir.node.cli;

import io.weir.log.api.GroupDescription;
import io.weir.log.api.GroupNotEmptyException;
import io.weir.log.api.Log;
import io.weir.log.api.StartPosition;
import io.weir.node.WeirNode;
import java.io.PrintWriter;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weir groups}: list, describe and reset the offsets of consumer groups. */
@Command(name = "groups", mixinStandardHelpOptions = true,
    description = "List and describe consumer groups, and reset their committed offsets.",
    subcommands = {GroupsCommand.ListGroups.class, GroupsCommand.Describe.class,
        GroupsCommand.Reset.class})
public final class GroupsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a groups command is required");
  }

  /** {@code weir groups list}. */
  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List every consumer group ever used.")
  static final class ListGroups implements Runnable {
    @Mixin NodeOptions node;
    @Spec CommandSpec spec;

    @Override
    public void run() {
      try (WeirNode n = node.start()) {
        Blocking.await(n.weir().log().listGroups()).forEach(spec.commandLine().getOut()::println);
      }
    }
  }

  /** {@code weir groups describe GROUP}. */
  @Command(name = "describe", mixinStandardHelpOptions = true,
      description = "Show a group's state and, per partition, the committed offset, the log end "
          + "offset, the lag and the owning member.")
  static final class Describe implements Runnable {
    @Mixin NodeOptions node;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "GROUP", description = "The consumer group.") String group;

    @Override
    public void run() {
      try (WeirNode n = node.start()) {
        GroupDescription d = Blocking.await(n.weir().log().describeGroup(group));
        PrintWriter out = spec.commandLine().getOut();
        out.println("Group: " + d.groupId() + "\tState: " + d.state() + "\tGeneration: "
            + d.generation() + "\tStrategy: " + (d.strategy() == null ? "-" : d.strategy().id())
            + "\tMembers: " + d.members().size());
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"TOPIC", "PARTITION", "COMMITTED-OFFSET", "LOG-END-OFFSET", "LAG",
            "MEMBER"});
        for (GroupDescription.PartitionLag p : d.partitions()) {
          rows.add(new String[] {p.topicPartition().topic(),
              String.valueOf(p.topicPartition().partition()),
              p.committedOffset() < 0 ? "-" : String.valueOf(p.committedOffset()),
              p.logEndOffset() < 0 ? "-" : String.valueOf(p.logEndOffset()),
              p.lag() < 0 ? "-" : String.valueOf(p.lag()),
              p.memberId() == null ? "-" : p.memberId()});
        }
        printTable(out, rows);
      }
    }
  }

  /** {@code weir groups reset GROUP --topic T --to-earliest|--to-latest|--to-datetime TS}. */
  @Command(name = "reset", mixinStandardHelpOptions = true,
      description = "Set a group's committed offsets of a topic to the earliest, the latest, or "
          + "the first record at or after a time. The group must have no members.")
  static final class Reset implements Runnable {
    @Mixin NodeOptions node;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "GROUP", description = "The consumer group.") String group;
    @Option(names = "--topic", paramLabel = "TOPIC", required = true,
        description = "The topic whose offsets to reset.") String topic;
    @ArgGroup(exclusive = true, multiplicity = "1") Target target;

    /** Exactly one of the targets. */
    static final class Target {
      @Option(names = "--to-earliest", description = "The oldest retained record.")
      boolean earliest;
      @Option(names = "--to-latest", description = "After the newest record.") boolean latest;
      @Option(names = "--to-datetime", paramLabel = "TS",
          description = "The first record at or after TS (ISO-8601, e.g. "
              + "2026-11-23T12:00:00Z or 2026-11-23T13:00:00+01:00).") String datetime;
    }

    @Override
    public void run() {
      StartPosition to = target.earliest ? StartPosition.earliest()
          : target.latest ? StartPosition.latest()
          : StartPosition.timestamp(parseTime(target.datetime));
      try (WeirNode n = node.start()) {
        resetWaitingForDeadMembers(n.weir().log(), to);
        spec.commandLine().getOut().println("Reset offsets of group " + group + " on topic "
            + topic + ".");
      }
    }

    /**
     * Resets; if members are recorded, waits for their session timeout once. This process owns
     * the data directory, so a member recorded there belongs to a consumer that has stopped
     * without leaving (killed): the coordinator, started anew here, removes it only after a
     * full session timeout without a heartbeat.
     */
    private void resetWaitingForDeadMembers(Log log, StartPosition to) {
      try {
        Blocking.await(log.resetGroupOffsets(group, topic, to));
        return;
      } catch (GroupNotEmptyException e) {
        GroupDescription d = Blocking.await(log.describeGroup(group));
        Duration wait = d.members().stream().map(GroupDescription.Member::sessionTimeout)
            .max(Duration::compareTo).orElse(Duration.ZERO).plusSeconds(2);
        spec.commandLine().getErr().println("weir: group " + group + " has "
            + d.members().size() + " member(s) left by a consumer that did not leave; waiting "
            + wait.toSeconds() + " s for their session timeout");
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
          sleep();
          try {
            Blocking.await(log.resetGroupOffsets(group, topic, to));
            return;
          } catch (GroupNotEmptyException again) {
            if (System.nanoTime() > deadline) {
              throw again;
            }
          }
        }
      }
    }

    private static void sleep() {
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new io.weir.api.WeirException("interrupted");
      }
    }

    private long parseTime(String text) {
      try {
        return OffsetDateTime.parse(text).toInstant().toEpochMilli();
      } catch (DateTimeException e) {
        try {
          return Instant.parse(text).toEpochMilli();
        } catch (DateTimeException again) {
          throw new ParameterException(spec.commandLine(), "--to-datetime: '" + text
              + "' is not an ISO-8601 date-time with an offset, such as 2026-11-23T12:00:00Z");
        }
      }
    }
  }

  /** Prints rows as left-aligned columns, the first row being the header. */
  static void printTable(PrintWriter out, List<String[]> rows) {
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s",
            row[i]));
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
