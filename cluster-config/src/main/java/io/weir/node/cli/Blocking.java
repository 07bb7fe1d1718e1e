package io.weir.node.cli;

import io.weir.api.WeirException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/** Waiting for a stage on the command line, where blocking the main thread is the point. */
final class Blocking {
  private Blocking() {}

  /**
   * Waits for {@code stage} and returns its value.
   *
   * @throws WeirException the stage's own WeirException, or one describing its failure
   */
  static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WeirException("interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      while ((cause instanceof CompletionException || cause instanceof ExecutionException)
          && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof WeirException w) {
        throw w;
      }
      throw new WeirException(cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
    }
  }
}
