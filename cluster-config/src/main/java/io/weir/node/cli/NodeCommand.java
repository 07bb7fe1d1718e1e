package io.weir.node.cli;

import io.weir.node.WeirNode;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code weir node}: runs a node in the foreground until it is interrupted. */
@Command(name = "node", mixinStandardHelpOptions = true,
    description = "Run a Weir node in the foreground until Ctrl-C (embedded or cluster profile).")
public final class NodeCommand implements Callable<Integer> {
  @Mixin NodeOptions options;

  @picocli.CommandLine.Option(names = "--config", paramLabel = "FILE",
      description = "Same as --node-config: a HOCON file layered over the profile.")
  void config(java.nio.file.Path file) {
    options.configFile = file;
  }

  @Override
  public Integer call() throws InterruptedException {
    // A long-running node: it resumes the stream jobs that were running (weir.stream.resume-jobs).
    WeirNode node = options.launcher().start();
    CountDownLatch stopped = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean asked = new java.util.concurrent.atomic.AtomicBoolean();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      asked.set(true);
      node.close();
      stopped.countDown();
    }, "weir-node-shutdown"));
    // A node the cluster downed (the split brain resolver, on the minority side of a partition)
    // shuts its actor system down: the process ends too, so a supervisor can start it again.
    String address = node.address();
    node.system().getWhenTerminated().thenRun(() -> {
      if (!asked.get()) {
        System.err.println("weir: node " + address + " left the cluster (downed or shut"
            + " down); exiting");
        stopped.countDown();
      }
    });
    System.out.println("Weir node " + node.address() + " running on "
        + node.settings().dataDir() + " (" + node.settings().profile().name().toLowerCase(
            java.util.Locale.ROOT) + " profile); Ctrl-C stops it.");
    stopped.await();
    if (!asked.get()) {
      node.close();
      return 1;
    }
    return 0;
  }
}
