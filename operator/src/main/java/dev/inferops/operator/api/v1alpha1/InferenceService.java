package dev.inferops.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.sundr.builder.annotations.Buildable;
import io.sundr.builder.annotations.BuildableReference;

/** An inference service: one resource that becomes bare Pods, a ReplicaSet or a Deployment. */
@Group(InferenceServiceConstants.GROUP)
@Version(InferenceServiceConstants.VERSION)
@Kind(InferenceServiceConstants.KIND)
@Plural(InferenceServiceConstants.PLURAL)
@Singular(InferenceServiceConstants.SINGULAR)
@ShortNames(InferenceServiceConstants.SHORT_NAME)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
// One rule on the root: the generator cannot emit two, and only the root sees metadata.name.
@ValidationRule(
    value =
        "has(self.spec) && (!has(self.spec.model) || !has(self.spec.model.configMapName)"
            + " || self.spec.model.configMapName != self.metadata.name + '-config')",
    messageExpression =
        "!has(self.spec) ? 'spec is required' : 'spec.model.configMapName must not be '"
            + " + self.metadata.name + '-config: that is the settings ConfigMap the operator"
            + " manages'",
    fieldPath = ".spec")
@Buildable(
    editableEnabled = false,
    generateBuilderPackage = false,
    builderPackage = "io.fabric8.kubernetes.api.builder",
    refs = @BuildableReference(ObjectMeta.class))
public class InferenceService extends CustomResource<InferenceServiceSpec, InferenceServiceStatus>
    implements Namespaced {}
