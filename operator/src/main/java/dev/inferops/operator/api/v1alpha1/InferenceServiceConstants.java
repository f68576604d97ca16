package dev.inferops.operator.api.v1alpha1;

/** Group, version, kind and names of the InferenceService API, kept in one place. */
public final class InferenceServiceConstants {
  public static final String GROUP = "inferops.dev";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;
  public static final String KIND = "InferenceService";
  public static final String PLURAL = "inferenceservices";
  public static final String SINGULAR = "inferenceservice";
  public static final String SHORT_NAME = "infsvc";
  public static final String CRD_NAME = PLURAL + "." + GROUP;

  private InferenceServiceConstants() {}
}
