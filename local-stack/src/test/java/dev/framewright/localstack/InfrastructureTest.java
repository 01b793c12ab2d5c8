package dev.framewright.localstack;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Choosing the provider: nothing is started here, only the choice and its errors. */
class InfrastructureTest {

    @TempDir
    Path dir;

    @AfterEach
    void clearProperty() {
        System.clearProperty(Infrastructure.PROPERTY);
    }

    @Test
    void shouldNameTheProfileWhenContainersAreChosenWithoutTheModule() {
        System.setProperty(Infrastructure.PROPERTY, Infrastructure.CONTAINERS);
        assertThatThrownBy(() -> Infrastructure.start(StackConfig.ephemeral(dir)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(Infrastructure.CONTAINERS_CLASS)
                .hasMessageContaining("-Pcontainers");
    }

    @Test
    void shouldRejectAnUnknownProvider() {
        System.setProperty(Infrastructure.PROPERTY, "docker");
        assertThatThrownBy(() -> Infrastructure.start(StackConfig.ephemeral(dir)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("framewright.infrastructure=docker");
    }
}
