// Plain-loop baseline of the benchmark (SPEC.md §2.4, §2.6); see plain_loop.h. Compiled twice: the
// build defines NEUROCHIP_PLAIN_ENTRY as run_plain_generic (project flags) or run_plain_native
// (-march=native). Everything else is internal so that no inline code compiled for the host's SIMD can
// be picked by the linker for the portable parts of the binary.
#include "plain_loop.h"

#include <cstring>

#ifndef NEUROCHIP_PLAIN_ENTRY
#error "NEUROCHIP_PLAIN_ENTRY must name the entry point (run_plain_generic or run_plain_native)"
#endif

namespace neurochip::bench {
namespace {

inline int32_t clamp16(int32_t v) { return v < -32768 ? -32768 : (v > 32767 ? 32767 : v); }

}  // namespace

void NEUROCHIP_PLAIN_ENTRY(const PlainCore& c, PlainSpikes& out) {
  const uint32_t n_in = c.inputs, n = c.neurons, scan = n_in > n ? n_in : n;
  int16_t* u = new int16_t[n]();
  uint8_t* ref = new uint8_t[n]();
  uint8_t* x = new uint8_t[scan]();
  uint8_t* z = new uint8_t[scan]();
  const int32_t threshold = c.threshold, alpha = static_cast<int32_t>(c.alpha);
  const int32_t in_scale = 1 << c.input_shift, rec_scale = 1 << c.recurrent_shift;
  uint64_t total = 0;
  for (uint64_t t = 0; t < c.timesteps; ++t) {
    for (uint64_t e = c.event_offsets[t]; e < c.event_offsets[t + 1]; ++e) x[c.event_axons[e]] = 1;

    // STEP: spike test on the stored potential, floor leak, reset, refractory.
    uint32_t count = 0;
    for (uint32_t j = 0; j < n; ++j) {
      bool fire = false;
      if (ref[j] > 0) {
        --ref[j];
      } else {
        fire = u[j] >= threshold;
      }
      int32_t next = (u[j] * alpha) >> 15;
      if (fire) {
        next = c.reset_subtract ? clamp16(next - threshold) : 0;
        ref[j] = static_cast<uint8_t>(c.refractory_steps);
        if (total < out.capacity) out.neurons[total] = j;
        ++total;
        ++count;
      }
      u[j] = static_cast<int16_t>(next);
      z[j] = fire;
    }
    out.spikes_per_timestep[t] = count;

    // PROP: every active index in ascending order adds its weight rows to the non-refractory neurons.
    for (uint32_t i = 0; i < scan; ++i) {
      const bool xi = x[i], zi = z[i];
      if (!xi && !zi) continue;
      const int8_t* w_in = xi ? c.input_weights + static_cast<uint64_t>(i) * n : nullptr;
      const int8_t* w_rec = zi ? c.recurrent_weights + static_cast<uint64_t>(i) * n : nullptr;
      if (xi && zi) {
        for (uint32_t j = 0; j < n; ++j) {
          const int32_t v = clamp16(u[j] + clamp16(w_in[j] * in_scale + w_rec[j] * rec_scale));
          u[j] = ref[j] ? u[j] : static_cast<int16_t>(v);
        }
      } else {
        const int8_t* w = xi ? w_in : w_rec;
        const int32_t scale = xi ? in_scale : rec_scale;
        for (uint32_t j = 0; j < n; ++j) {
          const int32_t v = clamp16(u[j] + w[j] * scale);
          u[j] = ref[j] ? u[j] : static_cast<int16_t>(v);
        }
      }
    }
    std::memset(x, 0, n_in);
  }
  out.total = total;
  delete[] u;
  delete[] ref;
  delete[] x;
  delete[] z;
}

}  // namespace neurochip::bench
