import Sim
print("simrun")
