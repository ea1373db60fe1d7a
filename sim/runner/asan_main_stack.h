// Workaround for AddressSanitizer's view of the main stack after a SystemC simulation.
//
// SystemC 2.3.4 tells ASan about every switch between its coroutine stacks
// (__sanitizer_start/finish_switch_fiber), but the main coroutine has no stack of its own in
// SystemC's records, so after sc_start() returns ASan believes the main thread's stack is empty.
// An exception thrown on the main stack from then on (a full disk found while publishing the
// results, a sink error rethrown by the runner) makes ASan ignore __asan_handle_no_return: the
// frames the exception unwinds stay poisoned and the next function to reuse them is reported as a
// stack-buffer-overflow that is not there ("ASan is ignoring requested __asan_handle_no_return ...
// False positive error reports may follow").
//
// announce_main_stack_to_asan() tells ASan the main thread's real stack bounds again, through the
// same fiber-switch interface, as a switch from the main stack to itself. Call it after each
// sc_start() on the thread that runs sc_main. It compiles to nothing without ASan.
#pragma once

namespace neurochip::sim {

void announce_main_stack_to_asan();

}  // namespace neurochip::sim
