package io.weir.api;

/**
 * Marker for every message and event that crosses a node or reaches a journal.
 *
 * <p>The runtime's {@code reference.conf} binds this interface to Pekko's {@code jackson-cbor}
 * serializer, so implementing it is the only declaration a type needs. Implement it on Java
 * records of serializable values (no functions, no open streams); an {@code ActorRef} may appear in
 * a command, never in a persisted event. The serialization guard test round-trips every
 * implementation found on the class path, so a type that would fail between nodes fails in CI.
 */
public interface CborSerializable {}
