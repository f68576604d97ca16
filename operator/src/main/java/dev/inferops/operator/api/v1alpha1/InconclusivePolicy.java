package dev.inferops.operator.api.v1alpha1;

/** What a canary pause that ends with too little traffic to judge does. */
public enum InconclusivePolicy {
  /** Keep reading the pods' metrics until there is enough. */
  Wait,
  /** Go on to the next step. */
  Pass
}
