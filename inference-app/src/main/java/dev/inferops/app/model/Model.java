package dev.inferops.app.model;

/**
 * A model runtime the server can serve: its identity, a description of what it takes and gives, and
 * the scoring of a batch of rows. Each runtime (framework) is one implementation, as KServe's model
 * servers subclass {@code kserve.Model}.
 */
public interface Model {
  String name();

  String version();

  /** Where the model came from: a file path or the bundled resource. */
  String source();

  /** The input and output tensors, and the named columns of the input. */
  ModelDescription description();

  /**
   * Scores a batch whose rows are laid out as {@link ModelDescription#columns()}; the caller has
   * checked every value against them.
   */
  Scores predict(double[][] rows);

  /** A model file that cannot be used; the message says why in plain words. */
  final class ModelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelException(String message) {
      super(message);
    }

    public ModelException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
