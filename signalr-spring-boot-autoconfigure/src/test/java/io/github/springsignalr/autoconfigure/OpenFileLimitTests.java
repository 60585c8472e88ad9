package io.github.springsignalr.autoconfigure;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OpenFileLimitTests {

	@Test
	void keepsATenthOfTheLimitForEverythingElse() {
		assertThat(OpenFileLimit.maximumConnections(20_000)).isEqualTo(18_000);
		assertThat(OpenFileLimit.maximumConnections(1_048_576)).isEqualTo(943_719);
	}

	@Test
	void keepsAtLeastAHundredDescriptors() {
		assertThat(OpenFileLimit.maximumConnections(1024)).isEqualTo(922);
		assertThat(OpenFileLimit.maximumConnections(256)).isEqualTo(156);
		assertThat(OpenFileLimit.maximumConnections(50)).isEqualTo(1);
	}

	@Test
	void isUnlimitedWithoutALimit() {
		assertThat(OpenFileLimit.maximumConnections(0)).isEqualTo(Integer.MAX_VALUE);
		assertThat(OpenFileLimit.maximumConnections(Long.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
	}

}
