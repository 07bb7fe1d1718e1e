package io.weir.stream.internal.exec;

import io.weir.stream.api.RichFunction;
import io.weir.stream.api.RuntimeContext;
import io.weir.stream.api.TimeDomain;

/**
 * One operator of a chain at run time: calls its user function for each record and emits
 * through its {@link Emitter}. Every exception of user code leaves as an
 * {@link OperatorException} naming the operator. Used by the subtask's thread only.
 */
abstract class StreamOperator implements Emitter.Target {
  final String name;
  final Emitter out;
  private final Object function;
  long watermark = Long.MIN_VALUE;

  StreamOperator(String name, Object function) {
    this.name = name;
    this.function = function;
    this.out = new Emitter(name);
  }

  /** Opens the user function, if it has a lifecycle. */
  void open(RuntimeContext context) {
    if (function instanceof RichFunction rich) {
      guard(() -> rich.open(context));
    }
  }

  /** Processes one record of input 0 or 1. */
  final void process(int input, Object value, long timestamp) {
    out.timestamp(timestamp);
    try {
      processElement(input, value, timestamp);
    } catch (OperatorException e) {
      throw e;
    } catch (Exception e) {
      throw new OperatorException(name, e);
    }
  }

  abstract void processElement(int input, Object value, long timestamp) throws Exception;

  /** As a chained target: input 0. */
  @Override
  public void accept(Object value, long timestamp) {
    process(0, value, timestamp);
  }

  /** The operator's event time: the last watermark it received. */
  long currentWatermark() {
    return watermark;
  }

  /** Event time advanced (the chain fired the head's timers first); passes it on. */
  @Override
  public void watermark(long wm) {
    watermark = wm;
    out.emitWatermark(wm);
  }

  /** The input went idle or active again; passes it on. */
  @Override
  public void status(boolean idle) {
    out.emitStatus(idle);
  }

  /** The periodic watermark call; only watermark assigners do something. */
  void onPeriodicWatermark() {}

  /** A timer of the current key fired; only keyed operators register timers. */
  void onTimer(long time, TimeDomain domain) {}

  /** The operator's input has ended: a sink makes what it wrote durable. */
  void endOfInput() {}

  /** Closes the user function; called once, also after a failure. */
  void close() {
    if (function instanceof RichFunction rich) {
      guard(rich::close);
    }
  }

  /** Runs user code, turning its failures into an {@link OperatorException}. */
  final void guard(UserCode code) {
    try {
      code.run();
    } catch (OperatorException e) {
      throw e;
    } catch (Exception e) {
      throw new OperatorException(name, e);
    }
  }

  /** A piece of user code. */
  @FunctionalInterface
  interface UserCode {
    void run() throws Exception;
  }
}
