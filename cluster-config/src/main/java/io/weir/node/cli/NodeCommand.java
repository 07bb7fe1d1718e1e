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
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      node.close();
      stopped.countDown();
    }, "weir-node-shutdown"));
    System.out.println("Weir node " + node.address() + " running on "
        + node.settings().dataDir() + " (" + node.settings().profile().name().toLowerCase(
            java.util.Locale.ROOT) + " profile); Ctrl-C stops it.");
    stopped.await();
    return 0;
  }
}
