// The documentation's examples run: every `build/neurochip ...` command in a shell block of
// README.md and configs/README.md is executed (outputs redirected to a temporary directory) and
// must exit 0.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

/// Commands of ```sh blocks that start with `prefix`.
std::vector<std::string> shell_commands(const fs::path& markdown, const std::string& prefix) {
  std::ifstream is(markdown);
  std::vector<std::string> commands;
  bool in_shell = false;
  for (std::string line; std::getline(is, line);) {
    if (line.rfind("```", 0) == 0) {
      in_shell = !in_shell && line == "```sh";
      continue;
    }
    if (in_shell && line.rfind(prefix, 0) == 0) commands.push_back(line.substr(0, line.find(" #")));
  }
  return commands;
}

int run_in(const fs::path& dir, const std::string& command) {
  const std::string full = "cd '" + dir.string() + "' && " + command + " > /dev/null 2>&1";
  const int status = std::system(full.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(Docs, ReadmeCommandsRun) {
  const fs::path root = NEUROCHIP_REPO_ROOT;
  const fs::path work = fs::temp_directory_path() / ("neurochip_docs_" + std::to_string(getpid()));
  fs::create_directories(work);
  const std::vector<std::string> commands = shell_commands(root / "README.md", "build/neurochip ");
  ASSERT_GE(commands.size(), 4u);
  for (std::string cmd : commands) {
    SCOPED_TRACE(cmd);
    // Run the binary under test on the repository's configs; write into the scratch directory.
    cmd = std::regex_replace(cmd, std::regex("^build/neurochip"), std::string(NEUROCHIP_BINARY));
    cmd = std::regex_replace(cmd, std::regex(" configs/"), " " + (root / "configs").string() + "/");
    cmd = std::regex_replace(cmd, std::regex(" out/"), " " + (work / "out").string() + "/");
    EXPECT_EQ(run_in(work, cmd), 0) << cmd;
  }
  fs::remove_all(work);
}

TEST(Docs, ConfigsReadmeCommandsRun) {
  // configs/README.md shows the CLI forms on a placeholder `my_run.yaml`; run them on tiny.yaml
  // (its complete YAML example is loaded by ConfigLoader.ReadmeCompleteExampleLoads).
  const fs::path root = NEUROCHIP_REPO_ROOT;
  const std::vector<std::string> commands = shell_commands(root / "configs" / "README.md", "neurochip ");
  ASSERT_GE(commands.size(), 2u);
  const fs::path work = fs::temp_directory_path() / ("neurochip_docs_cfg_" + std::to_string(getpid()));
  fs::create_directories(work);
  for (std::string cmd : commands) {
    SCOPED_TRACE(cmd);
    cmd = std::regex_replace(cmd, std::regex("^neurochip"), std::string(NEUROCHIP_BINARY));
    cmd = std::regex_replace(cmd, std::regex("my_run\\.yaml"), (root / "configs" / "examples" / "tiny.yaml").string());
    EXPECT_EQ(run_in(work, cmd), 0) << cmd;
  }
  fs::remove_all(work);
}

}  // namespace
