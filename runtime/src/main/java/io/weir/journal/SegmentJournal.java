package io.weir.journal;

import com.typesafe.config.Config;
import io.weir.journal.internal.EncodedWrite;
import io.weir.journal.internal.SegmentCursor;
import io.weir.journal.internal.SegmentStore;
import io.weir.journal.internal.SegmentStores;
import io.weir.journal.internal.StoredEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.pekko.dispatch.Futures;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.journal.japi.AsyncWriteJournal;
import org.apache.pekko.serialization.SerializationExtension;
import scala.concurrent.ExecutionContext;
import scala.concurrent.Future;
import scala.jdk.javaapi.FutureConverters;

/**
 * Weir's Pekko Persistence journal on append-only segment files, made for log partitions whose
 * events are whole record batches. Configure it as plugin {@code weir.journal.segments} (see
 * {@code reference.conf} and {@code docs/log-storage.md}).
 *
 * <p>Pekko instantiates this actor by reflection. Writes are serialized on the actor's thread
 * and handed to a dedicated writer thread that group-commits them (one fsync per touched file
 * per group, as {@code fsync} says); replay and sequence number reads run as futures on the
 * plugin dispatcher, never on Pekko's default dispatcher.
 */
public final class SegmentJournal extends AsyncWriteJournal {
  private final SegmentStore store;
  private final PersistentReprCodec codec;

  /**
   * Creates the journal; called by Pekko.
   *
   * @param config the plugin's configuration block, never null
   * @param configPath the plugin id, e.g. {@code weir.journal.segments}, never null
   * @throws io.weir.api.WeirException if the directory cannot be opened or is in use
   */
  public SegmentJournal(Config config, String configPath) {
    this.store = SegmentStores.get(context().system()).storeFor(configPath, config);
    this.codec = new PersistentReprCodec(SerializationExtension.get(context().system()));
  }

  /**
   * Serializes each atomic write and queues all of them for one group commit. A write whose
   * payload does not serialize is rejected alone (its slot holds the exception); a storage
   * failure fails the returned future. Runs on the journal's thread; does not block.
   *
   * @param messages the writes of one request, never null
   * @return one empty optional per accepted write, or the rejection, in order
   */
  @Override
  public Future<Iterable<Optional<Exception>>> doAsyncWriteMessages(
      Iterable<AtomicWrite> messages) {
    List<Optional<Exception>> results = new ArrayList<>();
    List<EncodedWrite> encoded = new ArrayList<>();
    for (AtomicWrite write : messages) {
      try {
        encoded.add(codec.encode(write));
        results.add(Optional.empty());
      } catch (Exception e) {
        results.add(Optional.of(e));
      }
    }
    if (encoded.isEmpty()) {
      return Futures.successful(results);
    }
    return FutureConverters.asScala(
        store.write(encoded).<Iterable<Optional<Exception>>>thenApply(done -> results));
  }

  /**
   * Durably moves the deletion point of {@code persistenceId} to {@code toSeqNr} (capped at the
   * highest stored seqNr) and removes segments wholly below it. Does not block.
   *
   * @return completes when the deletion point is durable
   */
  @Override
  public Future<Void> doAsyncDeleteMessagesTo(String persistenceId, long toSeqNr) {
    return FutureConverters.asScala(store.deleteTo(persistenceId, toSeqNr));
  }

  /**
   * Replays the acknowledged, not deleted events of {@code persistenceId} in the range, at most
   * {@code max}, calling {@code replayCallback} in seqNr order from a plugin dispatcher thread.
   *
   * @return completes after the last callback; fails on an I/O error or a corrupt frame
   */
  @Override
  public Future<Void> doAsyncReplayMessages(String persistenceId, long fromSequenceNr,
      long toSequenceNr, long max, Consumer<PersistentRepr> replayCallback) {
    return Futures.future(() -> {
      try (SegmentCursor cursor = store.cursor(persistenceId, fromSequenceNr, toSequenceNr,
          max)) {
        List<StoredEvent> frame;
        while ((frame = cursor.next()) != null) {
          for (StoredEvent event : frame) {
            replayCallback.accept(codec.toRepr(persistenceId, event));
          }
        }
      }
      return null;
    }, blockingContext());
  }

  /**
   * The highest seqNr ever stored for {@code persistenceId}, also after deletion; 0 if none.
   * Runs on a plugin dispatcher thread (the first call recovers the partition's tail).
   */
  @Override
  public Future<Long> doAsyncReadHighestSequenceNr(String persistenceId, long fromSequenceNr) {
    return Futures.future(() -> store.highestSeqNr(persistenceId), blockingContext());
  }

  private ExecutionContext blockingContext() {
    return context().dispatcher();
  }
}
