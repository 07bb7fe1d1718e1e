package io.weir.stream.internal.exec;

/**
 * An element on its way out of a subtask, to one output port (see {@link ExchangeLayout}).
 *
 * @param port the output port
 * @param element the element, stamped with the receiver's channel
 */
public record Routed(int port, StreamElement element) {}
