"""protocolgen: assemble a council's Member/Officer Protocol from a clause library."""
__version__ = "0.1.0"
