package io.weir.node.archfixture.internal;

/** A test fixture: an internal class that {@code LeakyApi} wrongly exposes. */
public final class Hidden {}
