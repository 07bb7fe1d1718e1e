package io.weir.log.internal;

import io.weir.api.WeirException;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for a stage where the API promises to block the caller (a producer's send). */
final class Blocking {
  private Blocking() {}

  /**
   * Waits up to {@code timeout} for {@code stage}.
   *
   * @param what what is being waited for, for the error message
   * @throws WeirException the stage's own WeirException, or one naming {@code what}
   */
  static <T> T await(CompletionStage<T> stage, Duration timeout, String what) {
    try {
      return stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof WeirException w ? w
          : new WeirException(what + " failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new WeirException(what + " did not finish within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WeirException("interrupted while " + what);
    }
  }
}
