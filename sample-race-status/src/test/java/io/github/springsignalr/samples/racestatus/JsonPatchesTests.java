package io.github.springsignalr.samples.racestatus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** The JSON patches between two statuses are the guide's {@code replace} operations, down to the field. */
class JsonPatchesTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void replacesChangedFieldsOfCarsByIndexAndArraysOfNewLengthWhole() {
		JsonNode before = this.json.readTree("""
				{"n":"Race","es":{"f":1,"ttg":"00:10:00"},"cps":[{"n":"7","ovp":1},{"n":"9x","ovp":2}],
				"fd":[{"f":1,"e":null}]}""");
		JsonNode after = this.json.readTree("""
				{"n":"Race","es":{"f":2,"ttg":"00:10:00"},"cps":[{"n":"7","ovp":2},{"n":"9x","ovp":1}],
				"fd":[{"f":1,"e":"x"},{"f":2,"e":null}]}""");
		ArrayNode operations = JsonNodeFactory.instance.arrayNode();
		JsonPatches.diff(before, after, "", operations);
		assertThat(this.json.writeValueAsString(operations)).isEqualTo("""
				[{"op":"replace","path":"/es/f","value":2},{"op":"replace","path":"/cps/0/ovp","value":2},\
				{"op":"replace","path":"/cps/1/ovp","value":1},\
				{"op":"replace","path":"/fd","value":[{"f":1,"e":"x"},{"f":2,"e":null}]}]""");
	}
}
