package dev.inferops.app.protocol.v2;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.inferops.app.model.ModelDescription;
import dev.inferops.app.model.Scores;
import dev.inferops.app.protocol.DataPlane;
import dev.inferops.app.routing.ApiException;
import dev.inferops.app.routing.Endpoints;
import dev.inferops.app.routing.Reply;
import dev.inferops.app.routing.Request;
import dev.inferops.app.routing.Route;
import dev.inferops.app.routing.Routes;
import java.util.ArrayList;
import java.util.List;

/**
 * The Open Inference Protocol (KServe V2, Triton): server and model metadata, readiness and {@code
 * infer} over the model's one input tensor {@code [N, columns]}.
 */
public final class V2Endpoints implements Endpoints {
  static final Route SERVER = new Route("/v2", "GET");
  static final Route LIVE = new Route("/v2/health/live", "GET");
  static final Route READY = new Route("/v2/health/ready", "GET");
  static final Route MODEL = new Route("/v2/models/{name}", "GET");
  static final Route MODEL_READY = new Route("/v2/models/{name}/ready", "GET");
  static final Route INFER = Route.prediction("/v2/models/{name}/infer", "POST");

  private static final String MODELS_PREFIX = "/v2/models/";

  record ServerMetadata(String name, String version, List<String> extensions) {}

  record TensorMetadata(String name, String datatype, long[] shape) {}

  record ModelMetadata(
      String name,
      List<String> versions,
      String platform,
      List<TensorMetadata> inputs,
      List<TensorMetadata> outputs) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Liveness(boolean live, String error) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Readiness(boolean ready, String error) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ModelReady(String name, boolean ready, String error) {}

  /** A parsed {@code /v2/models/NAME[/versions/VERSION][/ready|/infer]}. */
  record Target(Route route, String name, String version) {}

  private static final Reply LIVE_NOW = Reply.constantJson("{\"live\":true}");
  private static final Reply READY_NOW = Reply.constantJson("{\"ready\":true}");

  private final DataPlane dataPlane;
  private final ModelDescription description;
  private final InferRequestDecoder decoder;
  private final ModelMetadata metadata;
  private final InferResponseJson inferResponse;

  public V2Endpoints(DataPlane dataPlane) {
    this.dataPlane = dataPlane;
    this.description = dataPlane.modelDescription();
    this.decoder = new InferRequestDecoder(description);
    // A loop rather than a stream: this runs before the port opens, and streams load classes.
    List<TensorMetadata> outputs = new ArrayList<>();
    for (ModelDescription.Tensor t : description.outputs()) {
      outputs.add(tensor(t));
    }
    this.metadata =
        new ModelMetadata(
            dataPlane.modelName(),
            List.of(dataPlane.modelVersion()),
            description.platform(),
            List.of(tensor(description.input())),
            outputs);
    this.inferResponse =
        new InferResponseJson(
            dataPlane.modelName(), dataPlane.modelVersion(), description.outputs());
  }

  private static TensorMetadata tensor(ModelDescription.Tensor t) {
    return new TensorMetadata(t.name(), t.datatype(), t.shape());
  }

  @Override
  public void register(Routes routes) {
    routes.add(SERVER, r -> server());
    routes.add(LIVE, r -> live());
    routes.add(READY, r -> ready());
    routes.addTemplate(MODEL, r -> model(r.path()));
    routes.addTemplate(MODEL_READY, r -> modelReady(r.path()));
    routes.addTemplate(INFER, this::infer);
    routes.addPrefix(MODELS_PREFIX, V2Endpoints::match);
  }

  @Override
  public void warmUp() {
    server();
    model(MODELS_PREFIX + dataPlane.modelName());
  }

  static Route match(String path) {
    Target t = parse(path);
    return t == null ? Route.UNMATCHED : t.route();
  }

  static Target parse(String path) {
    String[] s = path.substring(MODELS_PREFIX.length()).split("/", -1);
    int n = s.length;
    if (s[0].isEmpty()) {
      return null;
    }
    String version = null;
    int next = 1;
    if (n >= 3 && s[1].equals("versions") && !s[2].isEmpty()) {
      version = s[2];
      next = 3;
    }
    if (n == next) {
      return new Target(MODEL, s[0], version);
    }
    if (n == next + 1 && s[next].equals("ready")) {
      return new Target(MODEL_READY, s[0], version);
    }
    if (n == next + 1 && s[next].equals("infer")) {
      return new Target(INFER, s[0], version);
    }
    return null;
  }

  Reply server() {
    return Reply.json(200, new ServerMetadata("inference-app", dataPlane.appVersion(), List.of()));
  }

  Reply live() {
    String reason = dataPlane.notLiveReason();
    return reason == null ? LIVE_NOW : Reply.json(500, new Liveness(false, reason));
  }

  /** 503 while not ready, as KServe's server answers. */
  Reply ready() {
    String reason = dataPlane.notReadyReason();
    return reason == null ? READY_NOW : Reply.json(503, new Readiness(false, reason));
  }

  Reply model(String path) {
    requireTarget(path);
    return Reply.json(200, metadata);
  }

  Reply modelReady(String path) {
    requireTarget(path);
    String reason = dataPlane.notReadyReason();
    return reason == null
        ? Reply.json(200, new ModelReady(dataPlane.modelName(), true, null))
        : Reply.json(503, new ModelReady(dataPlane.modelName(), false, reason));
  }

  Reply infer(Request request) {
    requireTarget(request.path());
    dataPlane.admitPrediction();
    InferRequestDecoder.InferRequest in =
        decoder.decode(request, dataPlane.modelName(), dataPlane.modelVersion());
    Scores scores = dataPlane.predict(in.rows());
    return inferResponse.reply(in.id(), description.outputs(), scores, in.wantedOutputs());
  }

  private void requireTarget(String path) {
    Target t = parse(path);
    dataPlane.requireModel(t.name());
    if (t.version() != null && !t.version().equals(dataPlane.modelVersion())) {
      throw new ApiException(
          404,
          "model '"
              + t.name()
              + "' has no version '"
              + t.version()
              + "'; this server serves version '"
              + dataPlane.modelVersion()
              + "'",
          null);
    }
  }
}
