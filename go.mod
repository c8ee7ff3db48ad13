module stepwise

go 1.26.8
