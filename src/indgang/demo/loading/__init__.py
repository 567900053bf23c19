"""One module per part of the demo municipality; `indgang.demo.services.demo_load` runs them."""
