package io.weir.journal.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Work for the {@link GroupCommitWriter}; each completes its future once it is durable. */
sealed interface WriteRequest {
  /** The future the writer completes; never null. */
  CompletableFuture<Void> done();

  /** Append atomic writes (possibly of several persistence ids), all or none per partition. */
  record Append(List<EncodedWrite> writes, CompletableFuture<Void> done) implements WriteRequest {
    public Append {
      writes = List.copyOf(writes);
    }
  }

  /** Delete the events of {@code persistenceId} up to {@code toSeqNr}. */
  record Delete(String persistenceId, long toSeqNr, CompletableFuture<Void> done)
      implements WriteRequest {}

  /** Finish everything queued before, force and close every partition, and stop. */
  record Close(CompletableFuture<Void> done) implements WriteRequest {}
}
