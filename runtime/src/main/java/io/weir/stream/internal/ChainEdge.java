package io.weir.stream.internal;

/**
 * A connection inside a vertex: the downstream operator is called directly with each record.
 *
 * @param source the upstream node's id
 * @param target the downstream node's id
 * @param sideOutput the side output followed; null for the main output
 */
public record ChainEdge(int source, int target, String sideOutput) {}
