// A presynaptic trace's decay in STEP (SPEC.md §6.1 with the rounding of §2.3): p = trace · factor
// (alpha 1.15 for the input and recurrent traces, kappa 1.7 for the output trace), floor = p >> FRAC;
// with round_i (stochastic rounding, a factor other than 1.0) the result is floor + 1 when the
// fraction p[FRAC−1:0] ≥ draw and the floor is not 0 (the guard tests the floor before it is cut
// to the trace's width); the result keeps its low BITS bits. Combinational.
module eprop_trace_decay #(
  parameter int unsigned BITS = 12,
  parameter int unsigned FBITS = 16,
  parameter int unsigned FRAC = 15
) (
  input  logic [BITS-1:0]  trace_i,
  input  logic [FBITS-1:0] factor_i,
  input  logic             round_i,
  input  logic [FRAC-1:0]  draw_i,
  output logic [BITS-1:0]  trace_o
);
  localparam int unsigned PW = BITS + FBITS;  // the exact product
  localparam int unsigned FW = PW - FRAC;     // its floor, before the cut to BITS
  logic [PW-1:0] product;
  logic [FW-1:0] floor_value;
  logic          up;

  always_comb begin
    product = PW'(trace_i) * PW'(factor_i);
    floor_value = product[PW-1:FRAC];
    up = round_i && (floor_value != '0) && (product[FRAC-1:0] >= draw_i);
    trace_o = floor_value[BITS-1:0] + BITS'(up);
  end
endmodule
