// Workaround for AddressSanitizer's view of the main stack after a SystemC simulation (see
// asan_main_stack.h).
#include "runner/asan_main_stack.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NEUROCHIP_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define NEUROCHIP_ASAN 1
#endif

#ifdef NEUROCHIP_ASAN
#include <pthread.h>
#include <sanitizer/common_interface_defs.h>

#include <cstddef>
#include <stdexcept>
#endif

namespace neurochip::sim {

void announce_main_stack_to_asan() {
#ifdef NEUROCHIP_ASAN
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) throw std::runtime_error("pthread_getattr_np failed");
  void* bottom = nullptr;
  std::size_t size = 0;
  const int rc = pthread_attr_getstack(&attr, &bottom, &size);
  pthread_attr_destroy(&attr);
  if (rc != 0) throw std::runtime_error("pthread_attr_getstack failed");
  // A switch from this stack to itself: the fake stack (use-after-return detection) is kept.
  void* fake_stack = nullptr;
  __sanitizer_start_switch_fiber(&fake_stack, bottom, size);
  __sanitizer_finish_switch_fiber(fake_stack, nullptr, nullptr);
#endif
}

}  // namespace neurochip::sim
