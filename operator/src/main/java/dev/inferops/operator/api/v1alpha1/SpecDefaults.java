package dev.inferops.operator.api.v1alpha1;

/**
 * The value of every spec field the CRD gives a default, each written once: the model's
 * {@code @Default}s and descriptions are built from these ({@code "" + PORT} is a constant
 * expression), and {@code EffectiveSpec} fills in the same values for objects that come without
 * them. An enum's default is its name as the schema writes it.
 */
public final class SpecDefaults {

  public static final int REPLICAS = 1;
  public static final String WORKLOAD = "Deployment";
  public static final int PORT = 8000;

  public static final String STRATEGY_TYPE = "RollingUpdate";
  public static final int PROGRESS_DEADLINE_SECONDS = 600;
  public static final int REVISION_HISTORY_LIMIT = 2;
  public static final boolean AUTO_ROLLBACK = false;

  public static final boolean AUTO_PROMOTION_ENABLED = true;
  public static final int AUTO_PROMOTION_SECONDS = 0;
  public static final int SCALE_DOWN_DELAY_SECONDS = 30;

  public static final String CANARY_STEPS_DESCRIPTION =
      "setWeight 20, pause 60 seconds, setWeight 50, pause 60 seconds";
  public static final boolean CANARY_ANALYSIS_ENABLED = true;
  public static final int CANARY_ANALYSIS_INTERVAL_SECONDS = 10;
  public static final int CANARY_MIN_REQUESTS = 50;
  public static final double CANARY_MAX_ERROR_RATE_INCREASE_PERCENT = 1.0;
  public static final int CANARY_MAX_LATENCY_INCREASE_PERCENT = 50;
  public static final int CANARY_LATENCY_TOLERANCE_MILLIS = 50;
  public static final String CANARY_INCONCLUSIVE = "Wait";

  public static final double SHADOW_SAMPLE_RATE = 0.1;
  public static final int SHADOW_MIN_COMPARISONS = 200;
  public static final double SHADOW_PROBABILITY_TOLERANCE = 1e-6;

  public static final boolean SMOKE_TEST_ENABLED = true;
  public static final String SMOKE_TEST_PATH = "/predict";
  public static final int SMOKE_TEST_TIMEOUT_SECONDS = 5;
  public static final double SMOKE_TEST_TOLERANCE = 1e-4;

  public static final boolean SERVICE_ENABLED = true;
  public static final String SERVICE_TYPE = "ClusterIP";
  public static final int SERVICE_PORT = 80;

  /**
   * The key of a model ConfigMap; the one default the schema does not write, as it would add the
   * key to a pvc or url model too. EffectiveSpec fills it in.
   */
  public static final String MODEL_KEY = "model.json";

  public static final boolean DISRUPTION_BUDGET_ENABLED = true;
  public static final int DISRUPTION_BUDGET_MAX_UNAVAILABLE = 1;

  private SpecDefaults() {}
}
