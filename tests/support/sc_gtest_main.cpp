// sc_main for GoogleTest executables that elaborate SystemC (one elaboration per process).
#include <cstdlib>
#include <gtest/gtest.h>
#include <systemc>

int sc_main(int argc, char* argv[]) {
  ::testing::InitGoogleTest(&argc, argv);
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);  // keep stderr for our own messages
  return RUN_ALL_TESTS();
}
