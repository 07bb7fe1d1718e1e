package io.weir.stream.internal;

import io.weir.stream.api.KeySelector;

/**
 * One upstream of a stream handle: which operator's output, through which exchange. A stream
 * has one, or several after a union.
 *
 * @param node the producing node's id
 * @param partitioning the exchange requested to whatever reads the stream
 * @param keySelector for a hash exchange; else null
 * @param sideOutput the side output read; null for the main output
 */
record StreamInput(int node, Partitioning partitioning, KeySelector<?, ?> keySelector,
    String sideOutput) {
  /** The main output of a node, forward. */
  static StreamInput of(int node) {
    return new StreamInput(node, Partitioning.FORWARD, null, null);
  }

  /** This upstream through another exchange. */
  StreamInput with(Partitioning p, KeySelector<?, ?> selector) {
    return new StreamInput(node, p, selector, sideOutput);
  }
}
