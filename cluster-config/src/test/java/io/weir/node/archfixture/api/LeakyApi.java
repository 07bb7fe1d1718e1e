package io.weir.node.archfixture.api;

import io.weir.node.archfixture.internal.Hidden;

/** A test fixture: an API class that breaks the layering rule, to prove the rule can fail. */
public interface LeakyApi {
  /** Exposes an internal type, which the rule forbids. */
  Hidden hidden();
}
