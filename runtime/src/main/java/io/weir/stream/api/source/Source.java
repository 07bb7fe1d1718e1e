package io.weir.stream.api.source;

/**
 * A source connector in the manner of Flink's FLIP-27: discovering the input (a
 * {@link SplitEnumerator}, one per source, on the job master) is apart from reading it (a
 * {@link SourceReader} per subtask). The source itself is only a factory; it is created by the
 * job definition on every node and is never serialized.
 *
 * <p>Positions live in the splits and the enumerator's checkpoint, both taken at every
 * checkpoint: on recovery the enumerator is restored from its checkpoint and every reader gets
 * back the splits it held at the checkpoint, so the source rewinds exactly.
 *
 * @param <T> the type of the elements read
 * @param <S> the split type
 * @param <C> the enumerator's checkpoint type, a Jackson-serializable record
 */
public interface Source<T, S extends SourceSplit, C> {
  /** Whether the source ends, never null. */
  Boundedness boundedness();

  /**
   * Creates the enumerator of a fresh start, without a checkpoint.
   *
   * @param context the enumerator's link to the readers, never null
   * @return the enumerator, not yet started
   * @throws Exception when the enumerator cannot be created; the job fails to start
   */
  SplitEnumerator<S, C> createEnumerator(SplitEnumeratorContext<S> context) throws Exception;

  /**
   * Creates an enumerator restored from a checkpoint.
   *
   * @param context the enumerator's link to the readers, never null
   * @param checkpoint what {@link SplitEnumerator#snapshotState} returned, never null
   * @return the enumerator, not yet started
   * @throws Exception when the enumerator cannot be restored; the job fails
   */
  SplitEnumerator<S, C> restoreEnumerator(SplitEnumeratorContext<S> context, C checkpoint)
      throws Exception;

  /**
   * Creates the reader of one subtask.
   *
   * @param context the reader's link to its subtask, never null
   * @return the reader, not yet started
   * @throws Exception when the reader cannot be created; the job fails
   */
  SourceReader<T, S> createReader(SourceReaderContext context) throws Exception;

  /** The class of the enumerator's checkpoint, for serialization, never null. */
  Class<C> checkpointType();

  /** The class of the splits, for serialization, never null. */
  Class<S> splitType();
}
