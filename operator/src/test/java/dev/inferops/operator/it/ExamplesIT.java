package dev.inferops.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.testsupport.OperatorExtension;
import dev.inferops.operator.testsupport.Repository;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every file under examples/ applies cleanly and its InferenceServices become Ready. */
class ExamplesIT {

  @RegisterExtension
  static final OperatorExtension cluster = OperatorExtension.withLocalOperator().build();

  @Test
  void everyExampleConvergesToReady() throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(Repository.root().resolve("examples"))) {
      files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).extracting(p -> p.getFileName().toString()).contains("inference-cr.yaml");

    List<String> names = new ArrayList<>();
    for (Path file : files) {
      try (InputStream in = new FileInputStream(file.toFile())) {
        for (HasMetadata object : cluster.client().load(in).items()) {
          object.getMetadata().setNamespace(cluster.namespace());
          cluster.client().resource(object).fieldManager("examples").serverSideApply();
          if ("InferenceService".equals(object.getKind())) {
            names.add(object.getMetadata().getName());
          }
        }
      }
    }
    assertThat(names).hasSizeGreaterThanOrEqualTo(files.size() - 1).doesNotHaveDuplicates();
    names.forEach(name -> cluster.awaitPhase(name, Phase.Ready));
  }
}
