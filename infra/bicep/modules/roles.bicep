// Built-in role definition ids (the same in every tenant), named once.

@export()
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'

@export()
var eventGridDataSender = 'd5a91429-5739-47e2-a06b-3470a27159e7'

@export()
var acrPull = '7f951dda-4ed3-4680-a7ca-43fe172d538d'
