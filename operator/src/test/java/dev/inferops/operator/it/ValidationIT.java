package dev.inferops.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inferops.operator.testsupport.OperatorExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Locale;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The API server itself rejects invalid specs, naming the offending field. */
class ValidationIT {

  @RegisterExtension
  static final OperatorExtension cluster = OperatorExtension.withoutLocalOperator().build();

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          strategy with workload Pod   | {image: a, workload: Pod, strategy: {type: RollingUpdate}}                        | spec.strategy | only allowed with workload Deployment
          strategy with ReplicaSet     | {image: a, workload: ReplicaSet, strategy: {type: BlueGreen}}                    | spec.strategy | only allowed with workload Deployment
          maxSurge and maxUnav. both 0 | {image: a, strategy: {maxSurge: 0, maxUnavailable: 0}}                            | spec.strategy | must not both be 0
          both 0 as percentages        | {image: a, strategy: {maxSurge: '0%', maxUnavailable: 0}}                         | spec.strategy | must not both be 0
          BlueGreen with maxSurge      | {image: a, strategy: {type: BlueGreen, maxSurge: 1}}                              | spec.strategy | RollingUpdate only
          blueGreen with RollingUpdate | {image: a, strategy: {type: RollingUpdate, blueGreen: {autoPromotionEnabled: false}}} | spec.strategy | type BlueGreen only
          blueGreen without a type     | {image: a, strategy: {blueGreen: {scaleDownDelaySeconds: 5}}}                     | spec.strategy | type BlueGreen only
          autoRollback with BlueGreen  | {image: a, strategy: {type: BlueGreen, autoRollback: true}}                    | spec.strategy | type RollingUpdate only
          Canary with maxUnavailable   | {image: a, strategy: {type: Canary, maxUnavailable: 1}}                          | spec.strategy | RollingUpdate only
          canary with BlueGreen        | {image: a, strategy: {type: BlueGreen, canary: {steps: [{setWeight: 10}]}}}     | spec.strategy | type Canary only
          autoRollback with Canary     | {image: a, strategy: {type: Canary, autoRollback: true}}                       | spec.strategy | type RollingUpdate only
          step with weight and pause   | {image: a, strategy: {type: Canary, canary: {steps: [{setWeight: 10, pause: {}}]}}} | spec.strategy.canary.steps[0] | not both
          empty step                   | {image: a, strategy: {type: Canary, canary: {steps: [{}]}}}                     | spec.strategy.canary.steps[0] | not neither
          weight over 100              | {image: a, strategy: {type: Canary, canary: {steps: [{setWeight: 120}]}}}       | spec.strategy.canary.steps[0].setWeight | less than or equal to 100
          bad inconclusive policy      | {image: a, strategy: {type: Canary, canary: {analysis: {inconclusive: Maybe}}}} | spec.strategy.canary.analysis.inconclusive | supported values
          bad percentage               | {image: a, strategy: {maxSurge: 'ten'}}                                           | spec.strategy.maxSurge | percentage
          negative replicas            | {image: a, replicas: -1}                                                          | spec.replicas | greater than or equal to 0
          empty image                  | {image: ''}                                                                       | spec.image | should match
          image with spaces            | {image: 'a b'}                                                                    | spec.image | should match
          missing image                | {replicas: 1}                                                                     | spec.image | Required value
          missing spec                 | null                                                                              | spec | spec is required
          port zero                    | {image: a, port: 0}                                                               | spec.port | greater than or equal to 1
          port too high                | {image: a, port: 70000}                                                           | spec.port | less than or equal to 65535
          service port too high        | {image: a, service: {port: 65536}}                                                | spec.service.port | less than or equal to 65535
          unknown workload             | {image: a, workload: Job}                                                         | spec.workload | Unsupported value
          unknown strategy type        | {image: a, strategy: {type: Recreate}}                                            | spec.strategy.type | Unsupported value
          unknown crash mode           | {image: a, app: {crashMode: explode}}                                             | spec.app.crashMode | Unsupported value
          unknown service type         | {image: a, service: {type: LoadBalancer}}                                         | spec.service.type | Unsupported value
          crash before start           | {image: a, app: {startDelaySeconds: 5, crashAfterSeconds: 5}}                     | spec.app.crashAfterSeconds | greater than startDelaySeconds
          nodePort without NodePort    | {image: a, service: {nodePort: 30080}}                                            | spec.service.nodePort | requires type NodePort
          model in the settings map    | {image: a, model: {configMapName: invalid-config}}                                | spec | must not be invalid-config
          two model sources            | {image: a, model: {configMapName: m, url: {url: 'https://h/m.onnx'}}}             | spec.model | set exactly one model source: configMapName, pvc or url
          three model sources          | {image: a, model: {configMapName: m, pvc: {claimName: c, path: m.onnx}, url: {url: 'https://h/m.onnx'}}} | spec.model | set exactly one model source
          no model source              | {image: a, model: {key: model.json}}                                              | spec.model | set one model source
          key with a url               | {image: a, model: {key: model.onnx, url: {url: 'https://h/m.onnx'}}}              | spec.model | key applies to configMapName only
          url not http(s)              | {image: a, model: {url: {url: 'ftp://h/m.onnx'}}}                                 | spec.model.url.url | must be an http:// or https:// URL
          url without a host           | {image: a, model: {url: {url: 'https:///m.onnx'}}}                                | spec.model.url.url | must be an http:// or https:// URL
          url with credentials         | {image: a, model: {url: {url: 'https://u:p@h/m.onnx'}}}                           | spec.model.url.url | without user:password@
          url missing                  | {image: a, model: {url: {sha256: '<sha256>'}}}                                     | spec.model.url.url | Required value
          sha256 too short             | {image: a, model: {url: {url: 'https://h/m.onnx', sha256: abc123}}}               | spec.model.url.sha256 | 64 lowercase hex digits
          sha256 in capitals           | {image: a, model: {url: {url: 'https://h/m.onnx', sha256: '<SHA256>'}}}            | spec.model.url.sha256 | 64 lowercase hex digits
          pvc absolute path            | {image: a, model: {pvc: {claimName: models, path: /etc/passwd}}}                  | spec.model.pvc.path | relative path of the model file
          pvc path with ..             | {image: a, model: {pvc: {claimName: models, path: heart/../../m.onnx}}}          | spec.model.pvc.path | relative path of the model file
          pvc without path             | {image: a, model: {pvc: {claimName: models}}}                                     | spec.model.pvc.path | Required value
          pvc bad claim name           | {image: a, model: {pvc: {claimName: Models_1, path: m.onnx}}}                     | spec.model.pvc.claimName | should match
          labels not one per instance  | {image: a, strategy: {type: BlueGreen, blueGreen: {smokeTest: {instances: [{x0: 1}], expectedLabels: [1, 0]}}}} | spec.strategy.blueGreen.smokeTest | expectedLabels needs one label per instance
          values without instances     | {image: a, strategy: {type: BlueGreen, blueGreen: {smokeTest: {expectedValues: [1.5]}}}} | spec.strategy.blueGreen.smokeTest | expectedValues needs instances and one value per instance
          values not one per instance  | {image: a, strategy: {type: BlueGreen, blueGreen: {smokeTest: {instances: [{x0: 1}], expectedValues: [1.5, 2]}}}} | spec.strategy.blueGreen.smokeTest | expectedValues needs instances
          negative tolerance           | {image: a, strategy: {type: BlueGreen, blueGreen: {smokeTest: {tolerance: -0.1}}}} | spec.strategy.blueGreen.smokeTest.tolerance | greater than or equal to 0
          """)
  void rejectsInvalidSpec(String title, String spec, String field, String message) {
    GenericKubernetesResource resource = fromYaml("invalid", withDigest(spec));

    assertThatThrownBy(() -> cluster.client().resource(resource).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getMessage()).contains(field).contains(message);
            });
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          minimal                | {image: a}
          rolling with percents  | {image: a, strategy: {maxSurge: '50%', maxUnavailable: 0}}
          blue-green             | {image: a, strategy: {type: BlueGreen}}
          canary                 | {image: a, strategy: {type: Canary}}
          canary with steps      | {image: a, strategy: {type: Canary, canary: {steps: [{setWeight: 25}, {pause: {seconds: 30}}, {setWeight: 50}, {pause: {}}], analysis: {maxErrorRateIncreasePercent: 0.5, inconclusive: Pass}}}}
          zero replicas          | {image: a, replicas: 0, workload: Pod}
          node port              | {image: a, service: {type: NodePort, nodePort: 30080}}
          crash after start      | {image: a, app: {startDelaySeconds: 2, crashAfterSeconds: 3, crashMode: exit}}
          model ConfigMap        | {image: a, model: {configMapName: m}}
          ONNX in a ConfigMap    | {image: a, model: {configMapName: m, key: model.onnx}}
          model in a claim       | {image: a, model: {pvc: {claimName: models, path: heart/.v2/heart.onnx}}}
          model from a URL       | {image: a, model: {url: {url: 'http://models.svc:8080/heart.onnx?v=2'}}}
          URL with a checksum    | {image: a, model: {url: {url: 'https://[fd00::1]/m.onnx', sha256: '<sha256>'}}}
          smoke expectations     | {image: a, strategy: {type: BlueGreen, blueGreen: {smokeTest: {instances: [{x0: 1}, {x0: 2}], expectedLabels: [1, 0], expectedValues: [0.5, 1.5], tolerance: 0.01}}}}
          """)
  void acceptsValidSpec(String title, String spec) {
    GenericKubernetesResource resource = fromYaml("valid", withDigest(spec));
    assertThat(cluster.client().resource(resource).create()).isNotNull();
  }

  private static final String SHA256 =
      "e9ff84f5b12662bd2257318a7f5bf743a853cb7ec8427bd2b8898f61f8cd768a";

  /**
   * The spec with a well-formed digest for {@code <sha256>}, and in capitals for {@code <SHA256>}.
   */
  private static String withDigest(String spec) {
    return spec.replace("<sha256>", SHA256).replace("<SHA256>", SHA256.toUpperCase(Locale.ROOT));
  }

  /** An InferenceService as a user would write it, with the spec as inline YAML. */
  private static GenericKubernetesResource fromYaml(String name, String spec) {
    String yaml =
        """
        apiVersion: inferops.dev/v1alpha1
        kind: InferenceService
        metadata:
          name: %s
        spec: %s
        """
            .formatted(name, spec);
    return cluster
        .client()
        .getKubernetesSerialization()
        .unmarshal(yaml, GenericKubernetesResource.class);
  }
}
