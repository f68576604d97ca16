package dev.inferops.operator.api.v1alpha1;

/** The Kubernetes Service types the operator offers. */
public enum ServiceType {
  ClusterIP,
  NodePort
}
