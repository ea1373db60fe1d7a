// An unfolded stream LFSR (SPEC.md §2.8): a W-bit window of the stream o[] defined by
// o[n + W] = XOR of o[n + t] over the taps, and an advance that exposes the next K stream bits at
// once (bits_o[i] = o[n + i]) and moves the window on by K. Seeding loads the window through the
// load map: window bit i is the parity of (LOAD_MAP[i] & seed). One instance per LFSR of the
// e-prop engine (weights SPEC §6.2, trace decay §6.1).
module eprop_lfsr #(
  parameter int unsigned W = 15,
  parameter int unsigned K = 15,
  parameter logic [W-1:0] TAPS = '1,
  parameter logic [W*W-1:0] LOAD_MAP = '1
) (
  input  logic         clk_i,
  input  logic         rst_ni,
  input  logic         seed_i,       // load the window from seed_value_i
  input  logic [W-1:0] seed_value_i,
  input  logic         advance_i,    // consume bits_o
  output logic [K-1:0] bits_o,
  output logic [W-1:0] window_o
);
  logic [W-1:0] window_d, window_q, seeded;
  logic [K+W-1:0] stream;

  always_comb begin
    for (int unsigned i = 0; i < W; i++) begin
      seeded[i] = ^(LOAD_MAP[i*W +: W] & seed_value_i);
    end
  end

  // The stream from the window on: the recurrence unrolled over K + W bits.
  always_comb begin
    stream = '0;
    stream[W-1:0] = window_q;
    for (int unsigned n = 0; n < K; n++) begin
      stream[n+W] = ^(stream[n +: W] & TAPS);
    end
  end

  assign bits_o = stream[K-1:0];
  assign window_o = window_q;

  always_comb begin
    window_d = window_q;
    if (seed_i) begin
      window_d = seeded;
    end else if (advance_i) begin
      window_d = stream[K +: W];
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      window_q <= '0;
    end else begin
      window_q <= window_d;
    end
  end
endmodule
