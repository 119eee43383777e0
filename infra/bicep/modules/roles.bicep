// Built-in role definition ids (the same in every tenant), named once.

@export()
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'

@export()
var eventGridDataSender = 'd5a91429-5739-47e2-a06b-3470a27159e7'

@export()
var acrPull = '7f951dda-4ed3-4680-a7ca-43fe172d538d'

@export()
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160d3a3'

@export()
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

@export()
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
