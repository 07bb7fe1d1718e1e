package io.weir.node.cli;

import io.weir.log.api.PartitionOffsets;
import io.weir.log.api.TopicDescription;
import io.weir.node.WeirNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code weir topic}: create, list, describe and delete topics of the log. */
@Command(name = "topic", mixinStandardHelpOptions = true,
    description = "Create, list, describe and delete topics of the log.",
    subcommands = {TopicCommand.Create.class, TopicCommand.ListTopics.class,
        TopicCommand.Describe.class, TopicCommand.Delete.class})
public final class TopicCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a topic command is required");
  }

  /** {@code weir topic create NAME --partitions N [--config k=v]...}. */
  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a topic.")
  static final class Create implements Runnable {
    @Mixin NodeOptions node;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "NAME", description = "The topic's name.") String name;
    @Option(names = "--partitions", paramLabel = "N", defaultValue = "1",
        description = "Number of partitions (default: ${DEFAULT-VALUE}).") int partitions;
    @Option(names = "--config", paramLabel = "KEY=VALUE",
        description = "A topic configuration (retention.ms, retention.bytes, cleanup.policy, "
            + "max.message.bytes, segment.bytes, delete.retention.ms, message.timestamp.type).")
    Map<String, String> config = new LinkedHashMap<>();

    @Override
    public void run() {
      try (WeirNode n = node.start()) {
        TopicDescription t = Blocking.await(n.weir().log().createTopic(name, partitions, config));
        spec.commandLine().getOut().println("Created topic " + t.name() + " with "
            + t.partitions() + " partition" + (t.partitions() == 1 ? "" : "s") + ".");
      }
    }
  }

  /** {@code weir topic list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List topics.")
  static final class ListTopics implements Runnable {
    @Mixin NodeOptions node;
    @Spec CommandSpec spec;

    @Override
    public void run() {
      try (WeirNode n = node.start()) {
        for (TopicDescription t : Blocking.await(n.weir().log().listTopics())) {
          spec.commandLine().getOut().println(t.name());
        }
      }
    }
  }

  /** {@code weir topic describe NAME}. */
  @Command(name = "describe", mixinStandardHelpOptions = true,
      description = "Show a topic's partitions, their start and end offsets, and its config.")
  static final class Describe implements Runnable {
    @Mixin NodeOptions node;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "NAME", description = "The topic's name.") String name;

    @Override
    public void run() {
      try (WeirNode n = node.start()) {
        TopicDescription t = Blocking.await(n.weir().log().describeTopic(name));
        List<PartitionOffsets> offsets = Blocking.await(n.weir().log().offsets(name));
        PrintWriter out = spec.commandLine().getOut();
        out.println("Topic: " + t.name() + "\tPartitions: " + t.partitions());
        out.println("Config: " + String.join(",", t.config().asMap().entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue()).toList()));
        for (PartitionOffsets o : offsets) {
          out.println("\tPartition: " + o.partition() + "\tStartOffset: " + o.logStartOffset()
              + "\tEndOffset: " + o.logEndOffset() + "\tBytes: " + o.sizeBytes());
        }
      }
    }
  }

  /** {@code weir topic delete NAME}. */
  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = "Delete a topic and all its records.")
  static final class Delete implements Runnable {
    @Mixin NodeOptions node;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "NAME", description = "The topic's name.") String name;

    @Override
    public void run() {
      try (WeirNode n = node.start()) {
        Blocking.await(n.weir().log().deleteTopic(name));
        spec.commandLine().getOut().println("Deleted topic " + name + ".");
      }
    }
  }
}
