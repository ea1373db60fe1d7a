// sc_main for GoogleTest executables that elaborate SystemC (one elaboration per process).
#include <cstdlib>
#include <gtest/gtest.h>
#include <systemc>

// SystemC prints its banner before sc_main runs unless this is set during static initialisation.
static const int kSystemcBannerOff = setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);

int sc_main(int argc, char* argv[]) {
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
