"""Partnership, organisations, service areas, contact points, programmes and waves."""
