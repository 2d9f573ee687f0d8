package io.switchboard.jdbi;

import java.nio.file.Path;
import java.util.List;

class WebhookCrashH2Test extends WebhookCrashContract {
  @Override
  List<String> hostArguments(Path dir) {
    return List.of("h2", dir.resolve("crash").toString(), "-", "-", "-");
  }

  @Override
  JdbiStore reopen(Path dir) {
    return JdbiStore.h2File(dir.resolve("crash"));
  }
}
