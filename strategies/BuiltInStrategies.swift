// The list of built-in strategies.
