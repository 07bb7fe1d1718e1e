package io.weir.stream.internal.windowing;

import io.weir.stream.api.KeyedProcessFunction.Context;
import io.weir.stream.api.OutputTag;
import io.weir.stream.api.windowing.ProcessWindowFunction;
import io.weir.stream.api.windowing.Window;

/** The context of a firing, bound to the window and the keyed context of the call. */
final class FiringContext<W extends Window> implements ProcessWindowFunction.Context<W> {
  private W window;
  private Context<?> ctx;

  FiringContext<W> bind(W w, Context<?> c) {
    this.window = w;
    this.ctx = c;
    return this;
  }

  @Override
  public W window() {
    return window;
  }

  @Override
  public long currentWatermark() {
    return ctx.timerService().currentWatermark();
  }

  @Override
  public long currentProcessingTime() {
    return ctx.timerService().currentProcessingTime();
  }

  @Override
  public <X> void output(OutputTag<X> tag, X value) {
    ctx.output(tag, value);
  }
}
