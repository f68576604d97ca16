package dev.inferops.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * A write of an owned object that the API server refused or never answered, naming the object and
 * the operation: the client's own exception knows neither once server-side apply turned a create
 * into a PATCH.
 */
public final class OperationFailedException extends RuntimeException {

  private final String kind;
  private final String name;
  private final String operation;

  public OperationFailedException(String operation, HasMetadata object, RuntimeException cause) {
    super(
        object.getKind() + " " + object.getMetadata().getName() + ": " + operation + " failed",
        cause);
    this.kind = object.getKind();
    this.name = object.getMetadata().getName();
    this.operation = operation;
  }

  public String kind() {
    return kind;
  }

  public String name() {
    return name;
  }

  /** What was attempted: create, update or delete. */
  public String operation() {
    return operation;
  }
}
