// A presynaptic trace's increment on an event (SPEC.md §6.1, PROP): trace + (INC << shift),
// saturating at 2^BITS − 1 (input and recurrent traces: 12 bits, INC 8; output: 10 bits, INC 2).
// Combinational.
module eprop_trace_inc #(
  parameter int unsigned BITS = 12,
  parameter int unsigned INC = 8
) (
  input  logic [BITS-1:0] trace_i,
  input  logic [3:0]      shift_i,
  output logic [BITS-1:0] trace_o
);
  logic [31:0] sum;

  always_comb begin
    sum = 32'(trace_i) + (32'(INC) << shift_i);
    trace_o = (sum > 32'((1 << BITS) - 1)) ? '1 : sum[BITS-1:0];
  end
endmodule
